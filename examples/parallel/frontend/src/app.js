// The frontend: minified by the build into dist/app.js.
function greet(name) {
  const message = 'hello from the frontend, ' + name;
  document.body.textContent = message;
  return message;
}
greet('slipway');
