/**
 * The entry: React and React DOM are evaluated here, the studio's own modules (start.tsx: the
 * store, its saved settings, the App) in a task of their own after. Evaluated as one script
 * they were the page's first long task (59-85 ms on the real-model bench); react-dom alone is
 * 207 kB of it.
 */
import 'react-dom/client'; // and React with it
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('No #root element');
import('./start')
  .then(({ start }) => start(root))
  .catch((error: unknown) => {
    // The studio's code did not arrive (offline before it was ever cached, a broken deploy),
    // or it failed to start.
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.className = 'm-8 text-zinc-100';
    message.textContent = `Timbre could not start: ${error instanceof Error ? error.message : String(error)}. Check your connection and reload the page.`;
    root.replaceChildren(message);
  });
