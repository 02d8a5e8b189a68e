/**
 * The credential variables each provider reads (`CREDENTIAL_ENV` of the core), said once for
 * help texts, so no list of variable names is ever copied by hand.
 */
import { CREDENTIAL_ENV } from '../core/credentials';
import type { Provider } from '../core/types';

/** `ID/KEY[/TOKEN|TOKEN2]` for each family of the provider, joined with " or ". */
export function credentialVariables(provider: Provider): string {
  return CREDENTIAL_ENV[provider]
    .map((f) => `${f.id}/${f.key}${f.tokens.length ? `[/${f.tokens.join('|')}]` : ''}`)
    .join(' or ');
}

/** Every credential variable name of every provider. */
export function allCredentialVariables(): string[] {
  return Object.values(CREDENTIAL_ENV).flatMap((fs) => fs.flatMap((f) => [f.id, f.key, ...f.tokens]));
}
