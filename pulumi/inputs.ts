/**
 * The resource's inputs as values: spotting the preview's unknowns, comparing maps by content,
 * handing the inputs to the signing core, and the headers a consumer would send for them.
 * Methods of the provider (gathered in `provider.ts`): they reference nothing from this module.
 */
import type { PresignInput } from '../src/index';
import type { Props, ProviderPart } from './types';

export const inputMethods: ProviderPart<'hasUnknown' | 'canonical' | 'presignInput' | 'consumerHeaders'> = {
  hasUnknown(value) {
    if (value === this.unknown) return true;
    if (value !== null && typeof value === 'object') return Object.values(value).some((v) => this.hasUnknown(v));
    return false;
  },

  /** JSON with sorted keys, so maps compare by content. */
  canonical(value) {
    if (value === undefined || value === null) return 'null';
    if (Array.isArray(value)) return '[' + value.map((v) => this.canonical(v)).join(',') + ']';
    if (typeof value === 'object') {
      const obj = value as Props;
      return (
        '{' +
        Object.keys(obj)
          .sort()
          .filter((k) => obj[k] !== undefined && obj[k] !== null)
          .map((k) => JSON.stringify(k) + ':' + this.canonical(obj[k]))
          .join(',') +
        '}'
      );
    }
    return JSON.stringify(value);
  },

  presignInput(props, creds) {
    const input: Props = { ...creds };
    for (const [name, coreName] of this.coreFields) {
      if (props[name] !== undefined && props[name] !== null) input[coreName] = props[name];
    }
    return input as unknown as PresignInput;
  },

  /** The headers a consumer would have to send for these inputs (what `headers` holds once signed). */
  consumerHeaders(props) {
    try {
      const request = this.presignInput(
        { ...props, credentialExpiresAt: undefined },
        { secretId: 'PLACEHOLDERID', secretKey: 'placeholder-key' },
      );
      return this.core().presign(request, { now: () => this.checkClock }).headers;
    } catch {
      return undefined;
    }
  },
};
