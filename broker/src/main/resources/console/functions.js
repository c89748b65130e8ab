// Placeholder: the functions page is written on branch consolepages (see the console contract).
