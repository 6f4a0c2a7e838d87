"""Service centres: the brand's own (internal) and partner service companies (outsourced
repairs), the provinces each serves, the public list of service points, and the company users
who see only the requests sent to their company. Pure rules in ``model``; the claims capability
scopes a company user through ``access.assignee_key_for``."""
