import { z } from 'zod';
import type { MyNotifications } from '../app/notifications/my-notifications';
import { PERSONAL_STREAMS } from '../domain/notifications/personal-notices';
import { ApiError, type ApiRoute } from './api-types';
import type { MyNotificationsDto } from './dto';

const change = z.union([
  z.object({ stream: z.enum(PERSONAL_STREAMS), mode: z.enum(['immediate', 'digest']) }).strict(),
  z.object({ timeZone: z.string().trim().min(1).max(64).nullable() }).strict(),
]);

/** The caller's own notification choices ("My notifications"); any role, only their own. */
export function notificationRoutes(deps: { myNotifications: MyNotifications }): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/me/notifications',
      handler: async ({ actor }) => {
        const view: MyNotificationsDto | null = await deps.myNotifications.read(actor);
        if (view === null)
          throw new ApiError(403, 'not-signed-in', 'Sign in from Teams to choose.');
        return { status: 200, body: view };
      },
    },
    {
      method: 'put',
      path: '/me/notifications',
      handler: async ({ actor, body }) => {
        const parsed = change.parse(body);
        const result = await deps.myNotifications.change(
          actor,
          'stream' in parsed
            ? { kind: 'stream', stream: parsed.stream, mode: parsed.mode }
            : { kind: 'time-zone', timeZone: parsed.timeZone },
        );
        if (!result.ok) {
          throw new ApiError(
            result.reason === 'not-signed-in' ? 403 : 400,
            result.reason,
            result.message,
          );
        }
        const view: MyNotificationsDto = result.view;
        return { status: 200, body: view };
      },
    },
  ];
}
