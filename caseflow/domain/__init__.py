"""Pure rules of caseflow: no Flask, no database, no hidden clock. Time is always passed in."""
