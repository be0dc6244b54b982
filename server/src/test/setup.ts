import { setDataKey } from '../platform/crypto';

// every test file: a fixed data key, so no key file is needed and sealed values decrypt
setDataKey(Buffer.alloc(32, 7));
