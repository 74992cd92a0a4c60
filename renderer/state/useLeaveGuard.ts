/**
 * Asks before the tab closes or reloads while a run trains. In the browser the run goes on in
 * the host and is there when the page opens again, but a user closing the tab mid-run should
 * know that. Browsers show their own words; the page can only ask for the question.
 */
import { useEffect } from 'react';

export function useLeaveGuard(ask: boolean): void {
  useEffect(() => {
    if (!ask) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium asks only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [ask]);
}
