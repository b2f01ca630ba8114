// Starts Swagger UI on the API docs page (/docs) with etik's own OpenAPI document.
// Loaded with `defer` after swagger-ui-bundle.js, so the page and the bundle are ready.
(function () {
  "use strict";
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    // No badge from validator.swagger.io: the page talks to our own server only.
    validatorUrl: null,
    deepLinking: true
  });
})();
