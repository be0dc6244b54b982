// Request and response schemas of the users area, shared by the server and the web.
export {};
