import type { Platform } from '../rules/types';
import type { Connector } from './connector';
import type { ConnectorSettings } from './connector-config';
import { InstagramConnector } from './instagram';
import { YouTubeConnector } from './youtube';

/** The connectors of the platforms the operator configured. */
export function configuredConnectors(settings: ConnectorSettings): Map<Platform, Connector> {
  const connectors = new Map<Platform, Connector>();
  if (settings.youtube) connectors.set('youtube', new YouTubeConnector({ ...settings.youtube, timeoutMs: settings.timeoutMs }));
  if (settings.instagram) connectors.set('instagram', new InstagramConnector({ ...settings.instagram, timeoutMs: settings.timeoutMs }));
  return connectors;
}
