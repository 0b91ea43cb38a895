import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './ui.tsx';
import './ConfirmDialog.css';

/**
 * A modal question before something that cannot be taken back (money leaving the shop). A
 * native `<dialog>` opened with `showModal()`: the rest of the page is inert while it is open,
 * Escape answers "no", and focus starts on the button that does nothing.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      element.querySelector<HTMLButtonElement>('[data-dialog-cancel]')?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        // Escape: the parent decides, so its state and the dialog never disagree
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
      <div className="dialog-actions">
        <Button variant="danger" onClick={onConfirm} data-testid={testId && `${testId}-confirm`}>
          {confirmLabel}
        </Button>
        <Button
          variant="secondary"
          onClick={onCancel}
          data-dialog-cancel=""
          data-testid={testId && `${testId}-cancel`}
        >
          {cancelLabel}
        </Button>
      </div>
    </dialog>
  );
}
