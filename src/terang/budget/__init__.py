"""The regional budget (APBD): plan and realisation by Permendagri 90/2019 codes, imports
and the explorer."""
