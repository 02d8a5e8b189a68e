/** The upload engine: streamed, verified, retried uploads through presigned requests. */
export { uploadFiles, callContext } from './engine';
export { checkLinks } from './links';
export type { Link } from './links';
export { coreSigner, premadeSigner, REQUEST_EXPIRES } from './signer';
export type { SignBase, PremadeRequest } from './signer';
export { closeAgent } from './http';
export {
  parseSize,
  formatSize,
  planParts,
  MIN_PART_SIZE,
  DEFAULT_PART_SIZE,
  DEFAULT_MULTIPART_THRESHOLD,
} from './sizes';
export { TransferError } from './types';
export type { SignFn, SignRequest, SignedUrl, UploadItem, UploadOptions, UploadedObject, LogFn } from './types';
