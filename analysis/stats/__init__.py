"""Numbers in, numbers out: intervals, survey designs, domains, cells, comparisons."""
