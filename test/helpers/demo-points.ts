// Where each role sits in the MTTQ demo conference (config/demo/): the centre hosts, a central-side point
// co-hosts, a province for the roles of a remote point. Tests that join once per role use these.
import type { Role } from '../../shared/domain.ts';

export const MTTQ_CONFERENCE = 'mttq-giam-sat-bau-cu-dot-1';

export const MTTQ_POINT_FOR_ROLE: Readonly<Record<Role, string>> = {
  host: 'trung-uong',
  cohost: 'ban-cong-tac-phia-nam',
  technician: 'ha-noi',
  secretary: 'ha-noi',
  viewer: 'ha-noi',
  recorder: 'trung-uong',
};
