//! Registration: `io_uring_register` calls (buffers, files, eventfd, buffer rings, probe, ...).
