// Request and response schemas of the unitedfront area, shared by the server and the web.
export {};
