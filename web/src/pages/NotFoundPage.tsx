import { Link } from 'react-router-dom';
import { useTitle } from '../lib/hooks.ts';
import './NotFoundPage.css';

export function NotFoundPage({ home = '/' }: { home?: string }) {
  useTitle('Page not found');
  return (
    <div className="narrow not-found">
      <h1>Page not found</h1>
      <p>The page you asked for does not exist. It may have moved, or the link may be mistyped.</p>
      <Link to={home} className="btn btn-primary">
        {home === '/' ? 'Go to the shop' : 'Go to the dashboard'}
      </Link>
    </div>
  );
}
