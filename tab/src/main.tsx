/** Entry point: find the host (Teams or standalone, decided within 3 s), then render the tab. */
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { connectHost } from './host';
import { TAB_CSS } from './styles';

async function start(): Promise<void> {
  const style = document.createElement('style');
  style.textContent = TAB_CSS;
  document.head.append(style);
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('index.html has no #root');
  const host = await connectHost(new URLSearchParams(window.location.search));
  document.documentElement.dataset.host = host.kind;
  document.documentElement.dataset.hostDecidedMs = String(host.decidedInMs);
  createRoot(rootElement).render(<App host={host} />);
}

start().catch((error: unknown) => {
  const root = document.getElementById('root');
  if (root)
    root.textContent = `Control Tower could not start: ${error instanceof Error ? error.message : String(error)}`;
});
