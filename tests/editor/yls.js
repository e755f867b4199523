// Drive yaml-language-server (the engine of the VS Code YAML extension and other editors) the way an editor
// does: each document starts with a `# yaml-language-server: $schema=...` modeline naming the schema file.
// Input on stdin: {"schema": path, "validate": {name: text}, "complete": {name: [text, line, character]},
// "hover": {name: [text, line, character]}}; output on stdout: the diagnostics, completion labels and hovers.
// Lines and characters are those of the text without the modeline. Used by tests/test_schema.py.
const fs = require('fs');
const path = require('path');
const { getLanguageService } = require('yaml-language-server/out/server/src/languageservice/yamlLanguageService');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { URI } = require('vscode-uri');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const service = getLanguageService({
  schemaRequestService: async (uri) => fs.readFileSync(URI.parse(uri).fsPath, 'utf8'),
  workspaceContext: { resolveRelativePath: (rel, res) => URI.file(path.resolve(path.dirname(URI.parse(res).fsPath), rel)).toString() },
});
service.configure({ validate: true, completion: true, hover: true, schemas: [] });
const modeline = `# yaml-language-server: $schema=${URI.file(input.schema).toString()}\n`;
let count = 0;
const open = (text) => TextDocument.create(URI.file(`/documents/${++count}/job.yml`).toString(), 'yaml', 1, modeline + text);

(async () => {
  const out = { validate: {}, complete: {}, hover: {} };
  for (const [name, text] of Object.entries(input.validate || {})) {
    const diagnostics = await service.doValidation(open(text), false);
    out.validate[name] = diagnostics.map((d) => ({ line: d.range.start.line - 1, message: d.message }));
  }
  for (const [name, [text, line, character]] of Object.entries(input.complete || {})) {
    const list = await service.doComplete(open(text), { line: line + 1, character }, false);
    out.complete[name] = list.items.map((item) => item.label);
  }
  for (const [name, [text, line, character]] of Object.entries(input.hover || {})) {
    const hover = await service.doHover(open(text), { line: line + 1, character });
    out.hover[name] = hover ? hover.contents.value : null;
  }
  process.stdout.write(JSON.stringify(out));
})();
