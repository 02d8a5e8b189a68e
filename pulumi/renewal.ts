/**
 * When a `PresignedUrl` is signed again: `renewAt = expiresAt - renewBefore`, where `expiresAt`
 * is the URL's expiry (already cut by the core to the credentials' expiry, so a URL signed with
 * a temporary key is renewed before the key dies). The first `pulumi up` at or after `renewAt`
 * re-signs in place (`diff`); before it, `up` leaves the URL as it is.
 * Methods of the provider (gathered in `provider.ts`): they reference nothing from this module.
 */
import type { ProviderPart } from './types';

export const renewalMethods: ProviderPart<'defaultRenewBefore' | 'renewBeforeFault' | 'renewal' | 'renewalDue'> = {
  // 10% of the lifetime: the URL is renewed by the first `pulumi up` in its last tenth.
  defaultRenewBefore(expiresIn) {
    return Math.floor(expiresIn / 10);
  },

  renewBeforeFault(renewBefore, expiresIn) {
    if (typeof renewBefore !== 'number' || !Number.isInteger(renewBefore) || renewBefore < 0) {
      return `must be a whole number of seconds, 0 or more, got ${JSON.stringify(renewBefore)}`;
    }
    if (expiresIn !== undefined && renewBefore >= expiresIn) {
      return `(${renewBefore}) must be less than expiresIn (${expiresIn}), otherwise every pulumi up would sign a new URL; use e.g. ${this.defaultRenewBefore(expiresIn)} (10% of expiresIn)`;
    }
    return undefined;
  },

  renewal(expiresAt, renewBefore, signedAt) {
    const before = typeof renewBefore === 'number' ? renewBefore : 0;
    const renewAt = expiresAt - before * 1000;
    // Due already when signed (the boundary of `renewalDue`): short-lived credentials cut the
    // URL below renewBefore, and every `pulumi up` would renew it. Allowed, but said.
    if (renewAt <= signedAt) {
      return {
        renewAt,
        warning: `the URL lives less than renewBefore (${before} s), so every pulumi up will sign a new one; use longer-lived credentials or a smaller renewBefore`,
      };
    }
    return { renewAt };
  },

  renewalDue(state, now) {
    const renewAt = typeof state.renewAt === 'string' ? Date.parse(state.renewAt) : NaN;
    // Written as "not before" so that a missing or unreadable renewAt (NaN) also renews.
    return !(now < renewAt);
  },
};
