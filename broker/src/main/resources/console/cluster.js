// Placeholder: the cluster page is written on branch consolepages (see the console contract).
