// What every form of the console shares: the API's field errors on the fields, and a warning
// before unsaved changes are lost (leaving the page in the app or closing the tab).
import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import type { ApiError } from '../api/errors';

/** A 400 `invalid_input`'s field errors as Mantine's `form.setErrors` wants them (`customer.phone`
 * stays a dotted path, as Mantine names nested fields). Errors of fields the form does not show
 * are left to the form's general alert. */
export function fieldErrorsFrom(error: ApiError): Record<string, string> {
  return Object.fromEntries(error.fields.map((problem) => [problem.field, problem.message]));
}

/** While `dirty`, leaving asks first: a link or the back button inside the app (react-router's
 * blocker, answered by `confirm(message)`) and closing or reloading the tab (`beforeunload`). */
export function useLeaveGuard(dirty: boolean, message: string): void {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(message)) blocker.proceed();
    else blocker.reset();
  }, [blocker, message]);
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
    };
  }, [dirty]);
}
