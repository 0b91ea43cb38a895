import { Component, type ErrorInfo, type ReactNode } from 'react';
import './ui.css';
import './ErrorBoundary.css';

interface Props {
  children: ReactNode;
  /** changes (e.g. the current path) reset the boundary, so navigating away recovers */
  resetKey?: string;
}

interface State {
  error: Error | null;
  resetKey: string | undefined;
}

/** Catches rendering errors so a bug shows a way out instead of a blank page. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { error: null, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Orderly: a page failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="notice notice-error page-error" role="alert" data-testid="error-boundary">
        <p className="notice-title">This page could not be shown</p>
        <p>Something unexpected went wrong while showing this page. Your cart and orders are safe.</p>
        <p className="actions-row">
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
          <a className="btn btn-secondary" href="/">
            Go to the shop
          </a>
        </p>
      </div>
    );
  }
}
