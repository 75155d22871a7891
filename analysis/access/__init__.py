"""Who may see and do what: people, roles, row grants, and the journal that names them.

people    Person (who signed in, and how), Access (person, role, grants) with
          ``can(action)``: the one answer every page and command asks
grants    Grants: the waves and segment values someone may see, and the row
          filter that enforces them
policy    the access file (``data/access.yaml``): rules from e-mail, domain
          or group to a role and grants; read, checked, edited, saved
source    GrantedSource: the store as one person may read it; every page,
          crosstab, export and command made on their behalf goes through it
store     UserStore: the store acting for one person, re-checking each change
journal   sign-ins, failed sign-ins, exports and role changes, and the audit
          trail that merges them with the store's changes
"""
