// Starts Swagger UI (bundled from swagger-ui-dist at build time) on our OpenAPI schema.
// A file of its own because the CSP allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || typeof window.SwaggerUIBundle === "undefined") { return; }
  window.SwaggerUIBundle({
    url: box.dataset.spec,
    domNode: box,
    deepLinking: true,
    // the default would send the schema to validator.swagger.io: nothing leaves the app
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    defaultModelsExpandDepth: 1,
    docExpansion: "list"
  });
})();
