"""Why a file could not be written."""

MESSAGES = {
    "atomic.reason_exists": ("filen findes allerede", "the file already exists"),
    "atomic.reason_no_folder": ("mappen findes ikke", "the folder does not exist"),
    "atomic.reason_no_hardlinks": ("filsystemet kan ikke lave hårde lænker, som klyngefond bruger til at oprette filer uden at overskrive",
                                   "the filesystem cannot make hard links, which klyngefond uses to create files without overwriting"),
    "atomic.reason_no_free_name": ("der er intet ledigt filnavn", "there is no free file name"),
    "atomic.reason_permission": ("ingen skriveadgang", "permission denied"),
    "atomic.reason_read_only": ("mappen er skrivebeskyttet", "the folder is read-only"),
    "atomic.reason_disk_full": ("disken er fuld", "the disk is full"),
    "atomic.reason_link_loop": ("en symbolsk lænke peger i ring", "a symbolic link loops"),
    "atomic.reason_linked_folder": ("mappen er en symbolsk lænke", "the folder is a symbolic link"),
    "atomic.reason_other": ("operativsystemet afviste skrivningen", "the operating system refused the write"),
}
