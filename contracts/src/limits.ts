/** Limits shared by the server's validation and the web forms. */
export const limits = {
  nameMax: 64,
  unitNameMax: 100,
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 10,
  passwordMax: 128,
  ethnicityMax: 20,
  searchMax: 64,
  pageSizeMax: 100,
  pageSizeDefault: 20,
  /** JSON request bodies */
  bodyMaxBytes: 1024 * 1024,
  /** uploaded spreadsheets */
  importMaxBytes: 20 * 1024 * 1024,
  importMaxRows: 50_000,
} as const;
