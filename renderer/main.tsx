import { StrictMode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles/app.css';
import { App } from './App';
import { pickHost } from './host/pickHost';
import { i18n } from './i18n';
import { startTheme } from './ui/theme';

startTheme(); // Before the first paint, so a light-theme user never sees a dark flash.
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App host={pickHost()} />
    </I18nextProvider>
  </StrictMode>,
);
