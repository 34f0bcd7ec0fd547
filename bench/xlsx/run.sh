#!/usr/bin/env bash
# Reading a 20,000-row SME workbook: ExcelDataReader (what SpreadsheetReader uses) against MiniExcel, each in its own
# process, interleaved ROUNDS times (default 3), 5 reads a process. Prints one line a process.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
dotnet build -c Release bench/Matchmaker.XlsxBench -v q -nologo >/dev/null
bench=bench/Matchmaker.XlsxBench/bin/Release/net10.0/Matchmaker.XlsxBench
file=$(mktemp --suffix .xlsx)
trap 'rm -f "$file"' EXIT
"$bench" write "$file" 20000
for _ in $(seq "$rounds"); do
  "$bench" read edr "$file" 5
  "$bench" read miniexcel "$file" 5
done
