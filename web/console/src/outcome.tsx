// What an action on a console page came to: the service's refusal in its words (an alert), or what was done
// (a status line); the page's data is loaded again after each action.
import { useState } from "preact/hooks";
import { failureText } from "../../common/api";

export type Act = (what: () => Promise<string>) => Promise<void>;

export function useOutcome(reload: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const act: Act = async (what) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await what());
      await reload();
    } catch (err) {
      setError(failureText(err));
    }
  };
  const outcome = (
    <div aria-live="polite">
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
    </div>
  );
  return { act, outcome, error, setError };
}
