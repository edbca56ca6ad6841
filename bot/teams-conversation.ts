import type { Activity } from 'botbuilder';
import type { ConversationRef } from '../src/app/ports/notifications.port';
import type { TeamsUser } from '../src/app/identity/identity.port';

interface TeamsChannelData {
  channel?: { id?: string; name?: string };
  team?: { id?: string; name?: string };
  tenant?: { id?: string };
}

/** The person who sent the activity (Entra object id and display name). */
export function teamsUser(activity: Activity): TeamsUser {
  // The activity is untrusted JSON: `from` may be missing, and its fields need not be strings.
  const from = (typeof activity.from === 'object' ? activity.from : null) as {
    aadObjectId?: unknown;
    name?: unknown;
  } | null;
  const aadObjectId = from?.aadObjectId;
  const name = from?.name;
  return {
    aadObjectId:
      typeof aadObjectId === 'string' && aadObjectId !== '' && aadObjectId.length <= 100
        ? aadObjectId
        : null,
    name: typeof name === 'string' && name.trim() !== '' ? name.slice(0, 200) : 'Someone',
  };
}

/**
 * The Entra tenants an activity claims to come from: `conversation.tenantId` and
 * `channelData.tenant.id` (Teams sends both; either may be missing). Empty when it names none.
 */
export function activityTenants(activity: Activity): string[] {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const claimed = [activity.conversation?.tenantId, channelData.tenant?.id];
  return [...new Set(claimed.filter((t): t is string => typeof t === 'string' && t !== ''))];
}

/**
 * Where proactive posts for this conversation go. In a channel that is the channel itself (a new
 * post), not the thread the command was typed in.
 */
export function conversationRefFrom(activity: Activity): ConversationRef {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const type = activity.conversation.conversationType ?? 'personal';
  const channelId = channelData.channel?.id;
  const conversationId =
    type === 'channel'
      ? (channelId ?? activity.conversation.id.split(';messageid=')[0] ?? activity.conversation.id)
      : activity.conversation.id;
  return {
    serviceUrl: activity.serviceUrl,
    conversationId,
    channelId: activity.channelId,
    tenantId: activity.conversation.tenantId ?? channelData.tenant?.id ?? null,
    botId: activity.recipient?.id ?? null,
    conversationType: type,
    label: channelData.channel?.name ?? activity.conversation.name ?? null,
  };
}

/** The conversation of this very activity (for updating the card that was clicked). */
export function thisConversation(activity: Activity): ConversationRef {
  return { ...conversationRefFrom(activity), conversationId: activity.conversation.id };
}
