"""The EstimateTable and what reads or extends it: letters, trends, crosstabs."""
