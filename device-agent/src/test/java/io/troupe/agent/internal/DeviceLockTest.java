package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceLockTest {

  @TempDir Path dir;

  @Test
  void secondLock_forTheSameDeviceAndGateway_isRefusedNamingFileAndPid() throws Exception {
    try (DeviceLock first = DeviceLock.acquire(dir, "127.0.0.1", 1883, "dev1")) {
      assertThatThrownBy(() -> DeviceLock.acquire(dir, "127.0.0.1", 1883, "dev1"))
          .isInstanceOf(DeviceLock.HeldException.class)
          .hasMessageContaining("another agent for device dev1 at 127.0.0.1:1883")
          .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")")
          .hasMessageContaining(first.file().toString());
      // another device, or the same one at another gateway, is no conflict
      DeviceLock.acquire(dir, "127.0.0.1", 1883, "dev2").close();
      DeviceLock.acquire(dir, "127.0.0.1", 1884, "dev1").close();
    }
  }

  @Test
  void lock_isReleasedOnClose() throws Exception {
    DeviceLock.acquire(dir, "gw.example", 1883, "dev1").close();
    DeviceLock.acquire(dir, "gw.example", 1883, "dev1").close();
  }

  @Test
  void file_isNamedAfterHostPortAndDevice_withoutPathCharacters() {
    assertThat(DeviceLock.file(dir, "::1/x", 1883, "dev1").getFileName().toString())
        .isEqualTo("troupe-agent-__1_x-1883-dev1.lock");
  }
}
