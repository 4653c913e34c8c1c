/* SPDX-License-Identifier: MIT */
/* The reference side: the system's liburing 2.3 (built without the face's include path). */
#include <liburing.h>
#include "common.h"

#define SIDE(name) ref_##name
#include "sides.h"
