import { parseRoute, routeFromSubEntity, routePath } from '../../tab/src/routes';

describe('the My notifications page of the tab', () => {
  test('has a path of its own, and the feed and digest deep links open it', () => {
    expect(parseRoute('/notifications', new URLSearchParams())).toEqual({ view: 'notifications' });
    expect(routePath({ view: 'notifications' })).toBe('/notifications');
    expect(routeFromSubEntity('notifications')).toEqual({ view: 'notifications' });
  });
});
