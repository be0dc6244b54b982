// Request and response schemas of the duties area, shared by the server and the web.
export {};
