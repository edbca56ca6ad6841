/** The demo sign-in banner: clearly marked, with a picker of the demo users (sent as `X-Demo-User`). */
import {
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
} from '@fluentui/react-components';
import type { DemoUserDto } from '../../../src/api/dto';

const STORAGE_KEY = 'controlTower.demoUser';

/** The demo user picked last time in this browser, if any. */
export function rememberedDemoUser(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The banner shown in demo mode outside Teams. */
export function DemoSignIn({
  users,
  email,
  onChange,
}: {
  users: DemoUserDto[];
  email: string;
  onChange: (email: string) => void;
}) {
  return (
    <MessageBar
      intent="warning"
      layout="multiline"
      data-testid="demo-banner"
      role="region"
      aria-label="Demo sign-in"
    >
      <MessageBarBody>
        <MessageBarTitle>Demo sign-in</MessageBarTitle>
        Demo mode: you are not signed in with Teams. Pick whose view to see; production refuses
        this.
        <Field label="Signed in as" className="ct-demo-field">
          <Select
            className="ct-demo-select"
            value={email}
            data-testid="demo-user"
            onChange={(_e, d) => {
              try {
                window.localStorage.setItem(STORAGE_KEY, d.value);
              } catch {
                // Storage can be disabled; the choice then lasts for this page only.
              }
              onChange(d.value);
            }}
          >
            {users.map((u) => (
              <option key={u.signInEmail} value={u.signInEmail}>
                {u.name} ({u.roles.join(', ') || 'no role'})
              </option>
            ))}
          </Select>
        </Field>
      </MessageBarBody>
    </MessageBar>
  );
}
