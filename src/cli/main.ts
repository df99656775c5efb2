// prompt-ledger CLI: the same core as the extension, for terminals and CI.
const USAGE = `Usage: prompt-ledger <command>

Commands:
  eval <suite...>   run eval suites (see README)
  --version         print the version
`;

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === '--version') {
    process.stdout.write('0.1.0\n');
    return 0;
  }
  process.stderr.write(USAGE);
  return command ? 2 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`prompt-ledger: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
