/** COS: signing steps, hosts, regions and URL assembly. */
export * from './sign';
export * from './endpoint';
export * from './regions';
export * from './url';
