// Request and response schemas of the notifications area, shared by the server and the web.
export {};
