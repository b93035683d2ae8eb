// Commands are argv lists, run without a shell. People type them as one line, so the dashboard
// reads a line the way a POSIX shell groups words (quotes, backslashes) and shows argv the same
// way; nothing is ever expanded or run by a shell.

// Split a command line into argv the way a POSIX shell would quote it, but run nothing: quotes
// and backslashes group, nothing expands. The argv is shown before it is sent.
export function splitCommand(line) {
  const args = [];
  let current = "";
  let inArg = false;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inArg = true;
    } else if (c === "\\" && i + 1 < line.length) {
      current += line[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = "";
      inArg = false;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (quote) throw new Error(`Unclosed ${quote === "'" ? "single" : "double"} quote`);
  if (inArg) args.push(current);
  return args;
}

// argv shown as a shell would need it typed (the inverse of splitCommand); the exact list is its title
export function joinCommand(argv) {
  return argv.map((arg) => (/^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(" ");
}
