/** "My notifications": each person chooses, per stream, each item at once or the 08:00 digest. */
import {
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { MyNotificationsChangeDto, MyNotificationsDto } from '../../../src/api/dto';
import { ApiFailure } from '../api-client';
import { LoadableView } from '../components/states';
import { useApiClient, useResource } from '../use-api';

const STREAM_LABELS: Record<MyNotificationsDto['streams'][number]['stream'], string> = {
  approvals: 'Approvals waiting for me (stage gates, concessions)',
  escalations: 'Escalations I own or command',
  renewals: 'Renewals of my contracts (checkpoints, churn flags, uplift)',
  governance: 'Governance reviews',
};

/** `GET /me/notifications`, `PUT /me/notifications`. */
export function NotificationsView() {
  const api = useApiClient();
  const [mine, reload] = useResource('me/notifications', (c) =>
    c.get<MyNotificationsDto>('/me/notifications'),
  );
  const [outcome, setOutcome] = useState<ApiFailure | 'saved' | null>(null);
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const save = async (change: MyNotificationsChangeDto) => {
    try {
      await api.put<MyNotificationsDto>('/me/notifications', change);
      setOutcome('saved');
      setTimeZone(null);
      reload();
    } catch (error) {
      setOutcome(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
    }
  };
  return (
    <section className="ct-view" aria-labelledby="notifications-title">
      <h1 id="notifications-title" className="ct-title">
        My notifications
      </h1>
      <LoadableView value={mine} what="your notification choices" retry={reload}>
        {(data) => (
          <div className="ct-form">
            {data.sayHiLink !== null && (
              <MessageBar intent="warning" data-testid="say-hi">
                <MessageBarBody>
                  Teams did not let Control Tower install itself for you, so it cannot message you
                  yet. <Link href={data.sayHiLink}>Say hi to Control Tower</Link> once and your
                  waiting messages arrive.
                </MessageBarBody>
              </MessageBar>
            )}
            <Text>
              Items that need action today reach you at once in a chat with Control Tower and in
              your Teams activity feed; everything else waits for your digest at 08:00 (
              {data.timeZone ?? `${data.tenantTimeZone}, your organisation's time zone`}).
            </Text>
            {data.streams.map(({ stream, mode }) => (
              <Field key={stream} label={STREAM_LABELS[stream]}>
                <RadioGroup
                  layout="horizontal"
                  value={mode}
                  aria-label={STREAM_LABELS[stream]}
                  onChange={(_e, d) =>
                    void save({ stream, mode: d.value === 'digest' ? 'digest' : 'immediate' })
                  }
                >
                  <Radio value="immediate" label="At once" />
                  <Radio value="digest" label="In the daily digest" />
                </RadioGroup>
              </Field>
            ))}
            <Field label="Time zone of my digest (empty: my organisation's)">
              <Input
                value={timeZone ?? data.timeZone ?? ''}
                placeholder={data.tenantTimeZone}
                onChange={(_e, d) => setTimeZone(d.value)}
                onBlur={() => {
                  if (timeZone !== null) void save({ timeZone: timeZone.trim() || null });
                }}
              />
            </Field>
            {outcome === 'saved' && (
              <MessageBar intent="success">
                <MessageBarBody>Saved.</MessageBarBody>
              </MessageBar>
            )}
            {outcome instanceof ApiFailure && (
              <MessageBar intent="error">
                <MessageBarBody>{outcome.message}</MessageBarBody>
              </MessageBar>
            )}
            <h2 className="ct-subtitle">Waiting for my next digest</h2>
            {data.waiting.length === 0 ? (
              <Text>Nothing is waiting.</Text>
            ) : (
              <ul data-testid="digest-waiting">
                {data.waiting.map((item, i) => (
                  <li key={i}>{item.previewText}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </LoadableView>
    </section>
  );
}
