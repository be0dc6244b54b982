import type { PartyStatus } from './types';

/** Tag colours of the political status. */
export const partyStatusColor: Record<PartyStatus, string> = {
  full: 'red',
  probationary: 'orange',
  none: 'default',
};
