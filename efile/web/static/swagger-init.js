// Swagger UI for /docs, started from a file of ours: the Content-Security-Policy allows no
// inline script. No validator badge: it would send the API's description to another site.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
