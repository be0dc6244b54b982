import type { committeeRoles, genders, partyStatuses } from '@tongxin/contracts';

export type { CreatePersonRequest, Person, UpdatePersonRequest } from '@tongxin/contracts';
export type Gender = (typeof genders)[number];
export type PartyStatus = (typeof partyStatuses)[number];
export type CommitteeRole = (typeof committeeRoles)[number];
