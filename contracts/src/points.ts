// Request and response schemas of the points area, shared by the server and the web.
export {};
