/* The opcode probe: NOP, READ and WRITE are supported, an opcode past the ABI is not. */
#include "check.h"

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  int ret = ringcore_opcode_supported(ring, RINGCORE_OP_NOP);

  if (ret == -EINVAL)
    SKIP("kernel lacks IORING_REGISTER_PROBE");
  CHECK_EQ(ret, 1);
  CHECK_EQ(ringcore_opcode_supported(ring, RINGCORE_OP_READ), 1);
  CHECK_EQ(ringcore_opcode_supported(ring, RINGCORE_OP_WRITE), 1);
  CHECK_EQ(ringcore_opcode_supported(ring, 250), 0);
  CHECK_EQ(ringcore_opcode_supported(NULL, RINGCORE_OP_NOP), -EINVAL);
  ringcore_ring_free(ring);
  printf("reg_probe: supported opcodes answered\n");
  return 0;
}
