import { useState, type ReactNode } from 'react';
import type { DownloadedFile } from '../api.ts';
import { describeError } from '../lib/errors.ts';
import { Button } from './ui.tsx';
import { useToast } from './Toasts.tsx';

/**
 * A button that fetches a file from the API (with the session's token, which a plain link would
 * not send) and hands it to the browser as a download under the name the server gave it.
 */
export function DownloadButton({
  fetchFile,
  children,
  variant = 'secondary',
  testId,
}: {
  fetchFile: () => Promise<DownloadedFile>;
  children: ReactNode;
  variant?: 'primary' | 'secondary' | 'ghost';
  testId?: string;
}) {
  const [busy, setBusy] = useState(false);
  const notify = useToast();
  return (
    <Button
      variant={variant}
      busy={busy}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          const file = await fetchFile();
          const url = URL.createObjectURL(file.blob);
          const link = document.createElement('a');
          link.href = url;
          link.download = file.filename;
          document.body.append(link);
          link.click();
          link.remove();
          // freed once the browser has surely read it; revoking at once can cancel a slow download
          window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
        } catch (error) {
          notify(describeError(error), 'error');
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
    </Button>
  );
}
