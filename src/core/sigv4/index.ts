/** SigV4 (S3) and TOS4: schemes, signing steps, hosts and URL assembly. */
export * from './schemes';
export * from './sign';
export * from './endpoint';
export * from './url';
export { amzDate } from '../time';
