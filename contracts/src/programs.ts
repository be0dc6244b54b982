// Request and response schemas of the programs area, shared by the server and the web.
export {};
