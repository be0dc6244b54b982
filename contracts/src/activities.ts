// Request and response schemas of the activities area, shared by the server and the web.
export {};
