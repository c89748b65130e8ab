// Placeholder: the topics page is written on branch consolepages (see the console contract).
