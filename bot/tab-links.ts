import type { TabPage } from '../src/domain/notifications/personal-notices';

/** Where the tab lives, for deep links from cards. */
export interface TabLinkOptions {
  /** The Teams app id (manifest `id`); null outside Teams (demo), where links open the web tab. */
  teamsAppId: string | null;
  /** The personal tab's `entityId` in the manifest. */
  entityId: string;
  /** The tab's public base URL (e.g. https://tower.example.com or http://localhost:3978). */
  webBaseUrl: string;
}

/** Builds deep links into the tab: a Teams entity deep link inside Teams, the web tab otherwise. */
export class TabLinks {
  constructor(private readonly options: TabLinkOptions) {}

  portfolio(): string {
    return this.link('portfolio', '/', 'Portfolio');
  }

  /** One project's page. */
  project(projectId: number): string {
    return this.link(`project:${projectId}`, `/projects/${projectId}`, 'Project');
  }

  /** One escalation (on its project's page). */
  escalation(escalationId: string, projectId: number): string {
    return this.link(
      `escalation:${escalationId}`,
      `/projects/${projectId}?escalation=${encodeURIComponent(escalationId)}`,
      'Escalation',
    );
  }

  /** One stage gate's evidence pack (on its project's page). */
  gate(gateId: string, projectId: number): string {
    return this.link(
      `gate:${gateId}`,
      `/projects/${projectId}?gate=${encodeURIComponent(gateId)}`,
      'Stage gate',
    );
  }

  report(): string {
    return this.link('report', '/report', 'Weekly report');
  }

  renewals(): string {
    return this.link('renewals', '/renewals', 'Renewals');
  }

  /** One contract's renewal page. */
  contract(contractId: number): string {
    return this.link(`contract:${contractId}`, `/contracts/${contractId}`, 'Contract');
  }

  /** The monthly governance review. */
  governance(month: string): string {
    return this.link(
      `governance:${month}`,
      `/governance?month=${encodeURIComponent(month)}`,
      'Governance',
    );
  }

  /** The person's own notification choices. */
  notifications(): string {
    return this.link('notifications', '/notifications', 'My notifications');
  }

  /** The page a personal notification links to. */
  page(page: TabPage): string {
    switch (page.page) {
      case 'gate':
        return this.gate(page.gateId, page.projectId);
      case 'escalation':
        return this.escalation(page.escalationId, page.projectId);
      case 'contract':
        return this.contract(page.contractId);
      case 'renewals':
        return this.renewals();
      case 'governance':
        return this.governance(page.month);
      case 'notifications':
        return this.notifications();
      case 'portfolio':
        return this.portfolio();
    }
  }

  /** Settings (channel routing). */
  settings(): string {
    return this.link('settings', '/settings', 'Settings');
  }

  private link(subEntityId: string, path: string, label: string): string {
    const base = this.options.webBaseUrl.replace(/\/+$/, '');
    const webUrl = `${base}${path}`;
    if (this.options.teamsAppId === null) return webUrl;
    const context = JSON.stringify({ subEntityId });
    return (
      `https://teams.microsoft.com/l/entity/${encodeURIComponent(this.options.teamsAppId)}/` +
      `${encodeURIComponent(this.options.entityId)}?webUrl=${encodeURIComponent(webUrl)}` +
      `&label=${encodeURIComponent(label)}&context=${encodeURIComponent(context)}`
    );
  }
}
